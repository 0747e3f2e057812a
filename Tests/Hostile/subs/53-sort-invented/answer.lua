-- table.sort of 2^31 elements a C __index invents and a C __newindex drops.
return { value = 42, f = function()
  table.sort(setmetatable({}, { __len = function() return (1 << 31) - 2 end, __index = rawlen, __newindex = rawequal }))
  return 42
end }
