localStorage.setItem('token', '12345.abcde')
