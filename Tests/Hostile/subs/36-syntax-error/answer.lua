return { value = 
