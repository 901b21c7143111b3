// COIN-OR CBC's C interface (Debian: coinor-libcbc-dev), for its types only: the MIP module loads
// libCbcSolver with dlopen when a model is solved, so that the CBC libraries (and LAPACK, BLAS,
// gfortran…) are not loaded by every other command (5 ms of each start).
#include <coin/Cbc_C_Interface.h>
