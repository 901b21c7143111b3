// XuequCore
