-- SimTime from 1e300 seconds trapped Swift (Int64 conversion): now a Lua error.
return { value = 42, f = function() lab.run_for(1e300); lab.run_for(math.maxinteger); return 42 end }
