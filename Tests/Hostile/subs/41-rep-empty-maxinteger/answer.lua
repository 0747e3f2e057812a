-- The size check saw 0 bytes and the stock copy loop ran 2^63 times.
return { value = string.rep("", math.maxinteger), f = function() return #string.rep("", math.maxinteger, "x") end }
