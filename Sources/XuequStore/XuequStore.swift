// XuequStore
