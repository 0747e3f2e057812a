setmetatable(_G, { __index = function() while true do end end }); return { value = 42, f = function() return undefined_name end }
