-- 2^60 element moves inside one C call.
return { value = 42, f = function() table.move({}, 1, 1 << 60, 1, {}) return 42 end }
