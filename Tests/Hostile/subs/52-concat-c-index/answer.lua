-- Each element comes from a C function (rawlen as __index), which the count hook never sees.
return { value = 42, f = function()
  return #table.concat(setmetatable({}, { __index = rawlen }), "", 1, 1 << 50) + 42
end }
