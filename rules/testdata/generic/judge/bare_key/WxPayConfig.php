<?php
class WxPayConfig
{
    const KEY = 'd281b102c9bb76fed167c24d4957451b';
    const KEY_PREFIX = 'wxpay_order_cache';
}
