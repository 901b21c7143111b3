print("xuequ")
