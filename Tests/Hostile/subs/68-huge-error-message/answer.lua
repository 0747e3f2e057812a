-- An error whose message is 8 MiB of control bytes: the check's message is cut to a
-- bounded length; the other checks keep their results.
local s = string.rep("\1", 4 << 20)
s = s .. s
return { value = 42, f = function() error(s, 0) end }
