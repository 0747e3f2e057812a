-- A correct answer whose source holds bytes that are not UTF-8 (Latin-1): each is one byte.
local e = "é"   -- a Latin-1 e-acute, one byte
return { value = 40 + #e + #"\xff", f = function() return ("café"):byte(4) - 191 end }
