answer_secret_value = "swordfish"; return { value = 42, f = function() return 42 end }
