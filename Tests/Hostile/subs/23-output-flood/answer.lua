for i = 1, 1e7 do print(string.rep("x", 1000)) end; return { value = 42 }
