-- A data-only answer: a 4 MiB string quoted with %q and JSON-escaped made a worker line
-- over 16 MiB and voided the whole run. Quoted values are bounded now.
return { value = string.rep("\1", 4 << 20), f = function() return 42 end }
