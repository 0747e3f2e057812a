error(string.rep("x", 1 << 28))
