-- print once kept each argument on the stack while adding to its buffer: lines over 1 KiB read freed heap.
for i = 1, 15 do print(string.rep(string.char(64 + i), 400 * i), i, string.rep("-", 300)) end
return { value = 41, f = function() for i = 1, 15 do print(string.rep("#", 410 * i)) end return 41 end }
