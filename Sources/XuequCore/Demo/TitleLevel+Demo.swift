/// What a title allows in the demo generator.
extension TitleLevel {
    /// The highest key-teacher level a generated teacher with this title can hold.
    var keyLevelCeiling: KeyLevel { self >= .senior ? .special : self >= .first ? .municipal : .district }
}
