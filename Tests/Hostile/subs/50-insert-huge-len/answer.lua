-- table.insert shifts every element up to what __len claims: 2^62 of them.
return { value = 42, f = function()
  table.insert(setmetatable({}, { __len = function() return 1 << 62 end }), 1, "x")
  return 42
end }
