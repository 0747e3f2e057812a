-- 2^19 string keys with a self-reference under the smallest key: the copy into the host
-- read and sorted every key of each level before noticing the depth, 32 times.
local t = {}
for i = 1, 1 << 19 do t["k" .. i] = i end
t["a"] = t
return { value = t, f = function() return 42 end }
