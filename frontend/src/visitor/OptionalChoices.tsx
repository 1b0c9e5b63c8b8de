/** The optional age band and topic a visitor may give, when starting a chat or writing a letter. */

import { AGE_BANDS, TOPICS } from "../shared/protocol";
import { useI18n } from "./i18n";

interface Props {
  /** The ids (and test ids) of the two selects. */
  ids: { age: string; topic: string };
  age: string;
  topic: string;
  onAge: (value: string) => void;
  onTopic: (value: string) => void;
  /** Show the note on what the answers are for (else it is there for screen readers only). */
  noteShown?: boolean;
}

export function OptionalChoices({ ids, age, topic, onAge, onTopic, noteShown = false }: Props) {
  const { t } = useI18n();
  return (
    <fieldset>
      <legend>{t.optionalHeading}</legend>
      <p class={noteShown ? "hint" : "visually-hidden"}>{t.optionalNote}</p>
      <label for={ids.age}>{t.ageLabel}</label>
      <select id={ids.age} data-testid={ids.age} value={age} onChange={(e) => onAge(e.currentTarget.value)}>
        <option value="">{t.notSaying}</option>
        {AGE_BANDS.map((a) => (
          <option key={a} value={a}>
            {t.ages[a]}
          </option>
        ))}
      </select>
      <label for={ids.topic}>{t.topicLabel}</label>
      <select id={ids.topic} data-testid={ids.topic} value={topic} onChange={(e) => onTopic(e.currentTarget.value)}>
        <option value="">{t.notSaying}</option>
        {TOPICS.map((k) => (
          <option key={k} value={k}>
            {t.topics[k]}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
