-- table.remove shifts every element down to what __len claims.
return { value = 42, f = function()
  table.remove(setmetatable({}, { __len = function() return 1 << 62 end }), 1)
  return 42
end }
