-- gsub retries a slow pattern at every position.
return { value = 42, f = function() return select(2, string.gsub(string.rep("a", 2000), ".-.-.-x", "")) + 42 end }
