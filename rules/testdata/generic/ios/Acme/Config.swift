import Foundation
let apiKey = "8OYDqdZAvqsp5dyHM8pksoIAmPMa9N9a"
    static let keychainPassword = "Copper_canyon_49559"
    let key = Bundle.main.object(forInfoDictionaryKey: "API_KEY") as? String
    var token: String = ""
