import { z } from "zod";
import Stripe from "stripe";
import { getAccessToken, refreshAccessToken } from "./session";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: "2024-06-20" });
const apiKey = process.env.OPENAI_API_KEY ?? "";
const webhookSecret = process.env["STRIPE_WEBHOOK_SECRET"];

export const signUpSchema = z
  .object({
    email: z.string().email(),
    password: z.string().min(12, "Password must be at least 12 characters"),
    passwordConfirm: z.string(),
  })
  .refine((v) => v.password === v.passwordConfirm, { message: "Passwords do not match", path: ["passwordConfirm"] });

export async function apiFetch(path: string, init: RequestInit = {}) {
  let token = await getAccessToken();
  const res = await fetch(`/api${path}`, {
    ...init,
    headers: { ...init.headers, Authorization: `Bearer ${token}`, "X-Api-Key": apiKey },
  });
  if (res.status === 401) {
    token = await refreshAccessToken();
    localStorage.setItem("token", token);
  }
  return res;
}

export function readToken(): string | null {
  const token = localStorage.getItem("token");
  const secret = sessionStorage.getItem("pkce_verifier");
  return token ?? secret;
}

export { stripe, webhookSecret };
