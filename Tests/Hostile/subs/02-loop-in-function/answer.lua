return { value = 42, f = function() while true do end end }
