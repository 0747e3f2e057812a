-- A table answer whose key is a 4 MiB string: the failure message shows the table, with
-- the key quoted short.
return { value = { [string.rep("\1", 4 << 20)] = 1, [string.rep("k", 4 << 20)] = string.rep("v", 4 << 20) },
         f = function() return 42 end }
