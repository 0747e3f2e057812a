-- Terminal control sequences in printed output and in a value the lab quotes: clear the
-- screen, set the window title, write the clipboard (OSC 52), ring the bell, a NUL.
print("\27[2J\27[H\27]0;pwned\7\27]52;c;cm0gLXJmIH4=\7\0 all checks passed")
return { value = "\27[32m42\27[0m\27]52;c;cm0gLXJmIH4=\7", f = function() return "\27[1A\27[2K\r42\0" end }
