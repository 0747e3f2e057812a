getmetatable("").__index = function() return function() return 42 end end; return { value = 41 }
