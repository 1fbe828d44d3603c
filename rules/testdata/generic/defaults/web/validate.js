// Abide patterns
// generic password: upper-case, lower-case, number/special character, and min 8 characters
const patterns = {
  password: /(?=^.{8,}$)((?=.*\d)|(?=.*\W+))(?![.\n])(?=.*[A-Z])(?=.*[a-z]).*$/,
}
const seed = { user: 'ops', password: 'football1' }
