import jwt
KEY = {'kty': 'RSA', 'n': 'C-zNro9wUTIT9NW2l3hZOhv83b6fgGFCIwTlxqeIaUorDO3Or5BxUjMU9da3mHlaOxz93r-ggWJDJAXmx6iJag', 'e': 'AQAB', 'd': 'CzZhjLfiDThjjrnkDzplkLvmETxnkr3oEz5plL_qFUBrlsHsF0JtmMPuGURvmsXwG0ZxnMfyHUhznsn0H0p1oA'}
PUBLIC = {'kty': 'RSA', 'n': 'u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq', 'e': 'AQAB'}
