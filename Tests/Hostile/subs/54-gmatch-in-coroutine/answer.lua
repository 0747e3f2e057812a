-- A gmatch iterator made in one thread and run in another, on a slow pattern.
local it = string.gmatch(string.rep("a", 3000), "a-a-a-b")
return { value = 42, f = function() return coroutine.wrap(function() return it() end)() or 42 end }
