return { value = 42, f = function() return string.find(string.rep("a", 200), ".-.-.-.-b") or 42 end }
