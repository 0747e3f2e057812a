return { value = string.format("%99999999d", 1) }
