/// The order categories, exactly as the Mini App sends and shows them.
public enum OrderCategory: String, CaseIterable, Sendable {
    case plumbing = "Сантехника"
    case electrics = "Электрика"
    case homeRepair = "Бытовой ремонт"
    case cleaning = "Клининг"
    case assembly = "Сборка/установка"
    case appliances = "Бытовая техника"
    case other = "Другое"
}

/// The reasons an executor can give when complaining about a client.
public enum ComplaintReason: String, CaseIterable, Sendable {
    case noAnswer = "Не отвечал"
    case cancelled = "Отменил заказ"
    case rude = "Неадекватное поведение"
    case falseInformation = "Ложная информация"
    case other = "Другое"
}
