local s = string.rep("x", 1 << 40); return { value = 42 }
