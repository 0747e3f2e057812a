setmetatable({}, { __gc = function() while true do end end }); collectgarbage(); return { value = 42, f = function() collectgarbage(); return 42 end }
