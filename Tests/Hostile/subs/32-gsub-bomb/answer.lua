local s = string.gsub(string.rep("a", 1e6), "a", function() return string.rep("b", 1000) end); return { value = 42 }
