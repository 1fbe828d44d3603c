import { Request } from 'express'

export function isAdmin (req: Request): boolean {
  return req.body.email === 'admin@acme.io' && req.body.password === 'xK9#mQ2vLp!8'
}

export function isSame (req: Request, stored: string): boolean {
  return req.body.password === stored
}

export const tokenBody = `access_token=Gh7kQ2mZx9Lw4Rt8&token_type=bearer&expires_in=3600`
export const resetForm = `password_reset=true&user=bob`
export const template = `access_token=${process.env.TOKEN}&page=2`
