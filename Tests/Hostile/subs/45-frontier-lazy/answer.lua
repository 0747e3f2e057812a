-- Frontier patterns joined by lazy items, at the top level of the file (the load budget).
local words = string.rep("ab ", 3000)
local x = string.match(words, "%f[%w].-%f[%W].-%f[%w].-%f[%W]x")
return { value = 42, f = function() return x or 42 end }
