-- Thirty nested levels of 4,000 keys each: the size limit holds across levels, before
-- any level is sorted.
local root = {}
local t = root
for _ = 1, 30 do
  for i = 1, 4000 do t["k" .. i] = i end
  t.a = {}
  t = t.a
end
return { value = 42, f = function() return 42 end, data = root }
