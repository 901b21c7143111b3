// COIN-OR CBC's C interface (Debian: coinor-libcbc-dev; pkg-config cbc adds -I/usr/include/coin).
#include <Cbc_C_Interface.h>
