return { value = 42, f = function() return coroutine.yield(42) end }
