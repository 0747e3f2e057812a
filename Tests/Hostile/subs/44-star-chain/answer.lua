-- Nested greedy items backtrack in O(n^4).
return { value = 42, f = function() return string.find(string.rep("a", 5000), "a*a*a*a*c") or 42 end }
