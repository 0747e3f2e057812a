return { value = 42, f = function() while true do pcall(function() while true do end end) end end }
