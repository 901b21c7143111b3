// XuequTestSupport
