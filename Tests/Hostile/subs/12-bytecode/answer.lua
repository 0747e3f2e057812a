local f = load(string.dump(function() return 42 end)); return { value = f() }
