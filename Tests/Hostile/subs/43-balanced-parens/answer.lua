-- %b() from each of 1 MiB of "(": quadratic inside one call.
return { value = 42, f = function() return string.find(string.rep("(", 1 << 20), "%b()") or 42 end }
