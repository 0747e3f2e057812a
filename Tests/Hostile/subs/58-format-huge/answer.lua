-- lab.format.bytes(1e30): a worker crash with signal 4 (an Int64 conversion trap).
return { value = 1e30, f = function() return #lab.format.bytes(1e30) end }
