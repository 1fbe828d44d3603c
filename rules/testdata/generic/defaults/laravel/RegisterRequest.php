<?php

class RegisterRequest extends FormRequest
{
    public function rules(): array
    {
        return [
            'email' => 'required|email|unique:users',
            'password' => 'required|string|min:8|confirmed',
            'current_password' => 'required|current_password',
        ];
    }
}
