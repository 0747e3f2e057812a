-- Six greedy captures: O(n^6) backtracking.
return { value = 42, f = function() return string.match(string.rep("x", 2000), "(.*)(.*)(.*)(.*)(.*)(.*)y") or 42 end }
