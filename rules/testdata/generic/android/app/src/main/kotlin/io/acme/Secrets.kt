package io.acme

object Secrets {
    const val CLIENT_SECRET = "rhq32ohADlp7UTgC7S03yvBaISmxb3soiN"
    const val CLIENT_ID = "acme-android"
    val apiToken: String = "afa74193304885ee914f149f83b5ae08e9df0b3f13052ba131525fa27a6abde3"
    val pushToken: String = "911a95891fca76a9e28becdcb820372c310f04040699f0c60d9df89af707b1de"
    val apiKey = BuildConfig.MAPS_API_KEY
    val label = context.getString(R.string.password_hint)
    var sessionToken: String? = null
}
