describe('login', () => {
  it('logs the administrator in', async () => {
    const password = 'admin123'
    await login({ email: 'admin@shop.test', password: 'Admin@123' })
    await login({ email: 'jim@shop.test', password: 'ncc-1701' })
    await login({ email: 'amy@shop.test', password: 'welcome1' })
  })
})
